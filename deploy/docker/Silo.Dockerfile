# Build from the repository root: docker build -f deploy/docker/Silo.Dockerfile -t orleanschat-silo:0.1.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Silo/Silo.csproj -c Release -o /app

# Chiseled: no shell or package manager, non-root by default, a fraction of the regular image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
# 8081: health, readiness and metrics (ASPNETCORE_URLS in deploy/k8s/silo.yaml).
EXPOSE 11111 30000 8081
ENTRYPOINT ["dotnet", "OrleansChat.Silo.dll"]
