// Key Vault in RBAC mode holding the instance administrator's token and the key that encrypts shared secrets. The
// app reads both through Key Vault references, so neither appears in app settings, deployment outputs or logs.
param name string
param location string
param tags object

@description('Name of the secret that holds the admin token.')
param adminTokenSecretName string

@secure()
@description('The StatusChecks instance administrator token.')
param adminToken string

@description('Name of the secret that holds the shared-secrets encryption key.')
param secretsKeySecretName string

@secure()
@description('Base64 of 32 bytes: the AES-256-GCM key for shared secrets.')
param secretsKey string

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    // The minimum: `azd down --purge` removes it anyway, and a short window frees the name sooner.
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }

  resource adminTokenSecret 'secrets' = {
    name: adminTokenSecretName
    properties: {
      value: adminToken
      contentType: 'text/plain'
    }
  }

  // Its earlier versions stay in the vault: after a rotation the app is pointed at them as previous keys.
  resource secretsKeySecret 'secrets' = {
    name: secretsKeySecretName
    properties: {
      value: secretsKey
      contentType: 'text/plain'
    }
  }
}

output name string = vault.name
// Versionless URI: a rotated secret reaches the app without redeploying it.
output adminTokenSecretUri string = vault::adminTokenSecret.properties.secretUri
output secretsKeySecretUri string = vault::secretsKeySecret.properties.secretUri
