//go:build tools

// Package tools pins the Node.js language host. Its own module (pulumi-language-nodejs/v3) is not
// served by the lab's Go module proxy, so this uses the last sdk/v3 release that still contained it
// (sdk/v3/nodejs/cmd/pulumi-language-nodejs); ../build.sh builds it by import path.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
