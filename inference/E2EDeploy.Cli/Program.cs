using E2EDeploy.Cli;

return CliApp.Run(args);
