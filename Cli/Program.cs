using OrleansChat.Cli;

return await ChatCommandLine.Build().Parse(args, ChatCommandLine.Parsing).InvokeAsync();
