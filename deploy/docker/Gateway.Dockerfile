# Build from the repository root: docker build -f deploy/docker/Gateway.Dockerfile -t orleanschat-gateway:0.1.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Gateway/Gateway.csproj -c Release -o /app

# Chiseled: no shell or package manager, non-root by default, a fraction of the regular image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "OrleansChat.Gateway.dll"]
