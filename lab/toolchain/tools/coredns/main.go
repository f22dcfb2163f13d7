// Command coredns is CoreDNS v1.15.0 (coremain, unchanged) with only the plugins the lab's
// Corefile uses (lab/nodes/node.sh corefile): bind, errors, kubernetes and cache. Upstream's main
// (the module root) links every plugin of its plugin.cfg, cloud DNS providers included: 1409
// packages against these 796 (`go list -deps`), and 608 go.sum lines against 197. A Corefile
// naming any other plugin is refused at startup ("unknown directive"), so nothing can rely on
// a plugin left out.
package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/kubernetes"
)

func main() { coremain.Run() }
