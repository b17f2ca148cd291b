// Preloaded (node --require) into cognito-local by com.pisync.testbed.LocalCognito.
// cognito-local 5.3.0 has no AdminSetUserMFAPreference (PiSync's admin TOTP reset, DELETE /v1/users/{username}/totp);
// this adds it to its targets with Cognito's behaviour for software tokens: the user's MFA settings gain
// SOFTWARE_TOKEN_MFA (only once verified) or lose it, and the preferred method follows.
"use strict";
const { Targets } = require("cognito-local/lib/targets/targets");
const errors = require("cognito-local/lib/errors");

Targets.AdminSetUserMFAPreference = ({ cognito }) => async (ctx, req) => {
  const userPool = await cognito.getUserPool(ctx, req.UserPoolId);
  const user = await userPool.getUserByUsername(ctx, req.Username);
  if (!user) {
    throw new errors.UserNotFoundError("User does not exist.");
  }
  const software = req.SoftwareTokenMfaSettings;
  if (software?.Enabled && !user.SoftwareTokenMfaConfiguration?.Verified) {
    throw new errors.InvalidParameterError("User has not verified software token MFA");
  }
  const methods = new Set(user.UserMFASettingList ?? []);
  if (software) {
    if (software.Enabled) methods.add("SOFTWARE_TOKEN_MFA");
    else methods.delete("SOFTWARE_TOKEN_MFA");
  }
  const preferred = software?.PreferredMfa ? "SOFTWARE_TOKEN_MFA"
    : methods.has(user.PreferredMfaSetting) ? user.PreferredMfaSetting : undefined;
  await userPool.saveUser(ctx, { ...user, UserMFASettingList: [...methods], PreferredMfaSetting: preferred });
  return {};
};
