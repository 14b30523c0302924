using E2EDeploy.Training;

return TrainingCli.Run(args);
