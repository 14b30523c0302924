using E2EDeploy.Pipeline;

return TrainingCli.Run(args);
