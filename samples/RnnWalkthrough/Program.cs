Console.WriteLine("The walk-through comes with the exporter.");
