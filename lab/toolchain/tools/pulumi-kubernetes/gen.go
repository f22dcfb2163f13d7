//go:build ignore

// gen.go stands in for the upstream `go generate` step (cmd/pulumi-resource-kubernetes/generate.go),
// whose outputs are git-ignored and so missing from the module zip. Run by build.sh in its temp dir:
//
//	go run gen.go VERSION SRC_DIR OUT_DIR
//
// writes OUT_DIR/schema-embed.json (SRC_DIR/schema.json with .version = VERSION, compacted) and
// OUT_DIR/terraform-mapping-embed.json (SRC_DIR/terraform-mapping.json, compacted). Stdlib only.
package main

import (
	"bytes"
	"encoding/json"
	"log"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: go run gen.go VERSION SRC_DIR OUT_DIR")
	}
	version, src, out := os.Args[1], os.Args[2], os.Args[3]

	raw, err := os.ReadFile(filepath.Join(src, "schema.json"))
	if err != nil {
		log.Fatal(err)
	}
	var spec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &spec); err != nil {
		log.Fatalf("schema.json: %v", err)
	}
	v, _ := json.Marshal(version)
	spec["version"] = v
	schema, err := json.Marshal(spec)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "schema-embed.json"), schema, 0o644); err != nil {
		log.Fatal(err)
	}

	raw, err = os.ReadFile(filepath.Join(src, "terraform-mapping.json"))
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		log.Fatalf("terraform-mapping.json: %v", err)
	}
	if err := os.WriteFile(filepath.Join(out, "terraform-mapping-embed.json"), buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
