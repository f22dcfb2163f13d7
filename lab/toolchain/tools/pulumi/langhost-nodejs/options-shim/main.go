// Command pulumi-language-nodejs is the lab's Node.js language host as the engine sees it: it
// starts the v3.68 host (pulumi-language-nodejs-v3.68, beside it) with the project's Pulumi.yaml
// runtime options as flags.
//
// Why: engines of the v3.68 era passed each runtime option to the language host as a `-key=value`
// flag (sdk/v3 v3.68.0 go/common/resource/plugin/langruntime_plugin.go, buildArgsForNewPlugin).
// The v3.248 engine hands them over in the RunRequest's ProgramInfo instead, which the v3.68 host
// cannot read, so without this shim `typescript: false`, `tsconfig` and `nodeargs` were ignored
// and every program ran under ts-node. With it, the lab runs a program as a current Pulumi CLI does.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

const hostName = "pulumi-language-nodejs-v3.68"

// optionFlags renders runtime options exactly as the v3.68 engine did, in a stable order.
func optionFlags(options map[string]interface{}) []string {
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	flags := make([]string, 0, len(keys))
	for _, k := range keys {
		flags = append(flags, fmt.Sprintf("-%s=%v", k, options[k]))
	}
	return flags
}

// projectFlags reads the Pulumi.yaml of the directory the engine started the host in (the
// project's root) or of one above it; no project means no options, as for the engine.
func projectFlags() ([]string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	path, err := workspace.DetectProjectPathFrom(wd)
	if err != nil || path == "" {
		return nil, nil
	}
	project, err := workspace.LoadProject(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return optionFlags(project.Runtime.Options()), nil
}

func main() {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs (lab shim): %v\n", err)
		os.Exit(1)
	}
	host := filepath.Join(filepath.Dir(self), hostName)
	flags, err := projectFlags()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs (lab shim): %v\n", err)
		os.Exit(1)
	}
	argv := append(append([]string{host}, flags...), os.Args[1:]...)
	if err := syscall.Exec(host, argv, os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs (lab shim): starting %s: %v\n", host, err)
		os.Exit(1)
	}
}
