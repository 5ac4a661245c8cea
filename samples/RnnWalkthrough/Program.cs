using TorchSharp;
var t = torch.randn(3, 4);
Console.WriteLine(t.sum().item<float>());
