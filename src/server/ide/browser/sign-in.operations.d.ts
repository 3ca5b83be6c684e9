// Types of sign-in.operations.js (plain JavaScript of the IDE's bundle) for the scripts and tests that read it.
export declare const SIGN_IN_OPERATIONS: Readonly<Record<'IdeLogin' | 'IdeVerifySecondFactor' | 'IdeBeginPasskeySignIn' | 'IdeRefresh' | 'IdeLogout', string>>;
