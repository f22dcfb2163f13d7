// Command pulumi-resource-kubernetes is the upstream provider's main (cmd/pulumi-resource-kubernetes)
// with the generated, git-ignored *-embed.json inputs supplied by build.sh instead of `go generate`.
// build.sh copies this file into a temporary directory together with schema-embed.json and
// terraform-mapping-embed.json; those JSON files are never committed.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
