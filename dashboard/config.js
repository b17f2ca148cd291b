// Deployment settings, read before the app starts. Locally (`./pisync local`) the API is served by
// the same origin under /v1, so nothing needs setting. For the S3/CloudFront deployment, either
// route /v1/* to the API on the same distribution (nothing to set) or point at the API here:
//
//   window.PISYNC_API = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1';
//
window.PISYNC_API = window.PISYNC_API || '/v1';
