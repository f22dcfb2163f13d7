//go:build tools

// Package tools pins the Pulumi CLI (pkg/v3 and sdk/v3 at the same release as the npm @pulumi/pulumi);
// ../build.sh builds it by import path.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
