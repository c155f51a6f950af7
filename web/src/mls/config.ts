// The ciphersuite and every ts-mls setting, in one place (the twin of
// client-sdk/src/mls/config.rs).
import {
  defaultAuthenticationService,
  defaultKeyPackageEqualityConfig,
  defaultLifetimeConfig,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type CiphersuiteImpl,
  type ClientConfig,
} from "ts-mls";

export const CIPHERSUITE_NAME = "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519";

/**
 * Out-of-order bounds in the browser. OpenMLS keeps 2,000 keys and jumps at most 25,000
 * steps; ts-mls jumps slowly (25,000 steps with 2,000 retained keys take ~45 s), so a page
 * keeps 200 keys and refuses a message more than 2,000 generations past the last one it
 * read from that sender: a forged or far-future message costs it at most ~0.5 s.
 */
export const BROWSER_KEY_RETENTION = {
  retainKeysForGenerations: 200,
  maximumForwardRatchetSteps: 2000,
  retainKeysForEpochs: 2,
};

export const clientConfig: ClientConfig = {
  keyRetentionConfig: BROWSER_KEY_RETENTION,
  lifetimeConfig: defaultLifetimeConfig,
  keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
  // The application pads (content.ts); MLS adds none.
  paddingConfig: { kind: "padUntilLength", padUntilLength: 0 },
  authService: defaultAuthenticationService,
};

let suite: Promise<CiphersuiteImpl> | undefined;

/** The ciphersuite's implementation (WebCrypto where it has the algorithm). */
export function cipherSuite(): Promise<CiphersuiteImpl> {
  suite ??= getCiphersuiteImpl(getCiphersuiteFromName(CIPHERSUITE_NAME));
  return suite;
}
