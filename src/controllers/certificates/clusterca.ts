/**
 * The simulated cluster's certificate authority: what kubeadm and kind put in /etc/kubernetes/pki/ca.crt
 * and ca.key, which kube-controller-manager gets as --root-ca-file (the `kube-root-ca.crt` ConfigMaps,
 * ../rootcacertpublisher.ts) and --cluster-signing-cert-file / --cluster-signing-key-file (the CSR
 * signers, ./signer.ts). A self-signed certificate for `CN=kubernetes` as kubeadm makes it (key
 * usages digital signature, key encipherment and certificate sign, CA:TRUE, a subject key id), RSA
 * 2048, valid from 2000-01-01 to 2099-12-31 so that it verifies at any simulated start time
 * (docs/divergences.md).
 *
 * Made once for kube-scenario (src/images/programs/certmanager/pki.ts: rsaKey("kube-scenario cluster
 * CA") and createCertificate) and kept here as data. The key is public: it signs certificates inside
 * the simulation only. `kube-scenario serve` never trusts it: the facade signs with a CA of its own,
 * made from the operating system's CSPRNG at start (src/server/servingcert.ts), authenticates
 * client certificates against that one, and gives it to the served cluster in place of this one
 * (ClusterOptions.signingCA, signer.ts's setClusterSigningCA), which then publishes it.
 */

/** PEM of the cluster CA's certificate. */
export const CLUSTER_CA_PEM =
  "-----BEGIN CERTIFICATE-----\n" +
  "MIIC6TCCAdGgAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n" +
  "cm5ldGVzMCAXDTAwMDEwMTAwMDAwMFoYDzIwOTkxMjMxMjM1OTU5WjAVMRMwEQYD\n" +
  "VQQDEwprdWJlcm5ldGVzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n" +
  "50hlo39+gkr3kC/u/5xNtO3OLnbt2oksEP9Ct0MIKL3l0+nl9zTrREV7ZMO5fTLe\n" +
  "nKQo1K8h9FMN70qusVqjws2qAo1IdjX7s/VQl/0FJGMxJpMKOtQBekCWyIHsYTsK\n" +
  "CL0DS5yZZpGCJ+Fs616sGD7cCnYjRbkKjrmP4OUNMh7tW9caoVx6frMyPy530gHk\n" +
  "7GVolrt+iL5+MP9wSyTfFR1oiddbrHnWzWIbFHYv/LYUv8Q9bMOtsWDCSctUY8Mb\n" +
  "htcDSxWjcXFJGaApzZUaV1SRHa9MFXlqXHR21EYstCChlaVYlX3WxfnxQge6G96m\n" +
  "0XomT3YdalvlHodCdIoj9wIDAQABo0IwQDAOBgNVHQ8BAf8EBAMCAqQwDwYDVR0T\n" +
  "AQH/BAUwAwEB/zAdBgNVHQ4EFgQUT9Ra6HVt9Bv/qFllVmJHOGp5HJgwDQYJKoZI\n" +
  "hvcNAQELBQADggEBAFeyBHoBLgMik7WsbPZPABPciEafJNRdc3ngoZpC7zDrpLHm\n" +
  "vT2yYt72h8dWERPzgTw6/oJpzKX/yy5fP/eEA3qrh/iDUrc60sHmepAC+YRUtUBi\n" +
  "hE3QRMj0CahNorNJyVZD95dBSsLFvVCgYLWbi+dR3flNw4kP2z2SxPi0pxFXS5FW\n" +
  "JjHsOyDvXW2+f3G2hYQPrhFlFp9dlOKnLMvQq5b47bs5qvcowjT35WIkC7glWrZB\n" +
  "C/sH9zU6CdE3vHnSSOOOAhlRysTVg233AEr/4cPqdkGJW0ZiWHKTGuQ3d+5DuASC\n" +
  "BJs13Bm7ErRSyBt5h2N/l0oDfFvLvUUX/tBDF/M=\n" +
  "-----END CERTIFICATE-----\n";

/** PEM (PKCS#1) of the cluster CA's private key. */
export const CLUSTER_CA_KEY_PEM =
  "-----BEGIN RSA PRIVATE KEY-----\n" +
  "MIIEpQIBAAKCAQEA50hlo39+gkr3kC/u/5xNtO3OLnbt2oksEP9Ct0MIKL3l0+nl\n" +
  "9zTrREV7ZMO5fTLenKQo1K8h9FMN70qusVqjws2qAo1IdjX7s/VQl/0FJGMxJpMK\n" +
  "OtQBekCWyIHsYTsKCL0DS5yZZpGCJ+Fs616sGD7cCnYjRbkKjrmP4OUNMh7tW9ca\n" +
  "oVx6frMyPy530gHk7GVolrt+iL5+MP9wSyTfFR1oiddbrHnWzWIbFHYv/LYUv8Q9\n" +
  "bMOtsWDCSctUY8MbhtcDSxWjcXFJGaApzZUaV1SRHa9MFXlqXHR21EYstCChlaVY\n" +
  "lX3WxfnxQge6G96m0XomT3YdalvlHodCdIoj9wIDAQABAoIBABcBfZK44OWm/V8r\n" +
  "VXO5oYUozoSSsfA2CtsZ+RHvqgUbdpwQvR5M9kYRP0fzrCTHBZvBPIqDbTY3eMBf\n" +
  "xma/5GBBQvMECLwxfHsXINAti/BlqYLzx2W4pvj5KcaCHfhB/iqGWqiPyDaKrM64\n" +
  "vrPe8/Fpd0vXGoUZ9fHihWxSfHCKsJrwyKV7PEuEJ24wCaO8c6YJUp9Ze76Pd3K9\n" +
  "5FTBWzQhwKSMzXDdWk53ZDQ/isyTMyHtbTBo0fPKV/9QKk8sUBGHQq4owTF7wk7J\n" +
  "utzbnhCe18Ln5VrF0a9ijetE3B/CyR1AcJ8QOy+qtrWwhvjpSAhksL7cl36awT7F\n" +
  "TYl9SeECgYEA9CBKQZIhzFvzA1EtcbN9JzRgmwlo7Pypfqw4AtO8XMfNj56ft4UH\n" +
  "sq2OxqAzy4CPCHWlhwHH3GosOKFau9xkKhVoqSO0N8v+ufY4yq4w1vnVmNsZHw6L\n" +
  "ZjpAIWJneEo4oogWFMPW7lMXAFQcaynpBwp5gpQp+/4LbriZUrp1bTECgYEA8ogw\n" +
  "im5OXPmJ/jjBX9IEbnQBKgucMh6rAi5LIr/zrtCXuFAfkbXYqvvnzWta5SDZqJ4i\n" +
  "rJtdHSmpphBDSxNN2e08ZIs6BN4nrgWs0Hi2LttmDsWGk1aF2sZDrSQp5BonG5nF\n" +
  "OgVgSoJw9x5AQyWg69sUiz6uVJV/oacilc6gOacCgYEA1KKHayOYcsKoIXyEg6Od\n" +
  "4Bb8Ci4hCUJtc5sX0kaQq5OQlYbJgPTLJrOLR7BkTN22N90ZB0XiyjZkPBM2z6iA\n" +
  "SjOJjME/iNYTEfDHuKoOekDz7gbwk598hdc44psumpSzTcYQzZdizwTqZOveMO05\n" +
  "Plu+SKE7DHVTieYaDffArhECgYEAqidoPsayzcH40VXKPUqf90oFwxTQKc2gVnBa\n" +
  "IHAhK6WGvDXiYBz/fL4s286Uv6nzarw/QW/ivOIM9sf0HkjV1q39L+EJ/H5LwmiS\n" +
  "3NPDpU4h5P0ptFcApANzWZbEmRbMFy4j09gPvVaUoJslpLZSlwZl/GcmcYtNNwGG\n" +
  "XynO+YMCgYEA4Y7pE1jOKZhXuSiwip90bHi9neCnVdfgocDoJ8J2sm7jmI3KxhN+\n" +
  "VBUETqanAs6rUqdDs5pFFtNRJJfXWHy/5nCGfFCQVA08aWraXIiiWy5+DHYTXF9v\n" +
  "m7gnpAgJ/+sK7Xh6xQPUIMWM3al20+zGVgiS3TvUAbSzAd7hvq5cMIQ=\n" +
  "-----END RSA PRIVATE KEY-----\n";
