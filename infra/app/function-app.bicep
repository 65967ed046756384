// The StatusChecks function app on the Flex Consumption plan (FC1). It runs as the user-assigned identity and
// reaches storage, Application Insights and Key Vault with that identity alone.
param name string
param planName string
param location string
param tags object

@description('azd deploys the service whose name matches this tag (services.<name> in azure.yaml).')
param serviceName string

param identityId string
param identityClientId string

param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerUrl string

param applicationInsightsConnectionString string

@description('Key Vault secret URI of the admin token; surfaced as a Key Vault reference, never as a value.')
param adminTokenSecretUri string

@description('Key Vault secret URI of the shared-secrets key; surfaced as a Key Vault reference, never as a value.')
param secretsKeySecretUri string

@description('Version id of the secrets key a rotation replaced (a version of the same vault secret); empty for none.')
// A Key Vault version id, not a secret: the linter goes by the name.
#disable-next-line secure-secrets-in-params
param previousSecretsKeyVersion string = ''

param runtimeVersion string = '10.0'

@minValue(1)
@maxValue(1000)
@description('Upper bound on scale-out, and so on cost under load.')
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the app's identity, which holds Key Vault Secrets User.
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Identity-based host storage: the host and the app's own Table/Queue clients read these.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storageBlobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storageQueueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storageTableEndpoint }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identityClientId}' }
        { name: 'StatusChecks__AdminToken', value: '@Microsoft.KeyVault(SecretUri=${adminTokenSecretUri})' }
        { name: 'StatusChecks__SecretsKey', value: '@Microsoft.KeyVault(SecretUri=${secretsKeySecretUri})' }
        // The replaced key, pinned to its version: it decrypts what it encrypted, and never encrypts.
        {
          name: 'StatusChecks__PreviousSecretsKeys__0'
          value: empty(previousSecretsKeyVersion) ? '' : '@Microsoft.KeyVault(SecretUri=${secretsKeySecretUri}/${previousSecretsKeyVersion})'
        }
        { name: 'StatusChecks__Notifications__AllowPrivateNetworks', value: 'false' }
        // The API's 1 MiB body limit, enforced by the platform before a body is buffered and passed to the worker.
        { name: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', value: '1048576' }
      ]
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
