Console.WriteLine("e2e-train");
