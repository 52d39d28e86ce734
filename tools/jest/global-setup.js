// Jest's globalSetup does not apply moduleNameMapper: resolve the @postrade/* aliases here.
require('tsconfig-paths/register');
module.exports = require('./global-setup.ts').default;
