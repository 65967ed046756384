using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using StatusChecks.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.AddStatusChecks();
builder.Build().Run();
