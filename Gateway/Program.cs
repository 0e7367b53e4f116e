using OrleansChat.Gateway;

ChatGatewayApp.Build(args).Run();
