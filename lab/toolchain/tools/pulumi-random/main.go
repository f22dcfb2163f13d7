// Command pulumi-resource-random is the qstack lab's stand-in for the Pulumi "random" provider.
//
// Why it exists: the lab's Go module proxy serves no version of github.com/pulumi/pulumi-random
// (provider/v4, provider/shim and sdk/v4 all answer "This module version is not available"), and the
// Terraform provider it bridges is only served as v2.0.0+incompatible (2018). So the upstream
// binary cannot be built here. This program implements the same resource tokens, inputs, outputs,
// IDs and replace-on-any-input-change behaviour as pulumi-random 4.21.1 (terraform-provider-random
// v3) for the resources the lab uses, directly on the Pulumi provider gRPC protocol:
//
//	random:index/randomBytes:RandomBytes       id = base64            (like upstream)
//	random:index/randomId:RandomId             id = b64Url
//	random:index/randomString:RandomString     id = result
//	random:index/randomPassword:RandomPassword id = "none"
//	random:index/randomInteger:RandomInteger   id = result
//	random:index/randomUuid:RandomUuid         id = result
//
// RandomPet, RandomShuffle, RandomUuid4 and RandomUuid7 are rejected with a clear error.
// Secrets: the provider does not accept secrets; the engine applies the SDK's
// additionalSecretOutputs (RandomBytes base64/hex, RandomPassword result/bcryptHash).
// Known difference: RandomInteger with `seed` is deterministic per seed, but yields other numbers
// than upstream for the same seed.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc64"
	"math/big"
	mrand "math/rand"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/pkg/v3/resource/provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set by build.sh (-X main.version=...): the @pulumi/random release whose API this serves.
var version = "4.21.1"

func main() {
	err := provider.Main("random", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &randomProvider{}, nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}

type kind struct {
	inputs  []string                                             // input property names; a change to any of them replaces
	outputs []string                                             // computed output property names
	check   func(resource.PropertyMap) []*pulumirpc.CheckFailure // validates and fills defaults in place
	create  func(resource.PropertyMap) (string, error)           // fills outputs in place, returns the ID
	imprt   func(id string) (resource.PropertyMap, error)        // state from an import ID
}

var kinds = map[string]*kind{
	"random:index/randomBytes:RandomBytes": {
		inputs: []string{"keepers", "length"}, outputs: []string{"base64", "hex"},
		check: func(m resource.PropertyMap) []*pulumirpc.CheckFailure {
			return checkInt(m, "length", true, 1)
		},
		create: func(m resource.PropertyMap) (string, error) {
			b, err := randBytes(intOf(m, "length"))
			if err != nil {
				return "", err
			}
			s := base64.StdEncoding.EncodeToString(b)
			m["base64"] = resource.NewStringProperty(s)
			m["hex"] = resource.NewStringProperty(hex.EncodeToString(b))
			return s, nil
		},
		imprt: func(id string) (resource.PropertyMap, error) {
			b, err := base64.StdEncoding.DecodeString(id)
			if err != nil {
				return nil, fmt.Errorf("import ID must be standard base64: %w", err)
			}
			return resource.PropertyMap{
				"length": resource.NewNumberProperty(float64(len(b))),
				"base64": resource.NewStringProperty(id),
				"hex":    resource.NewStringProperty(hex.EncodeToString(b)),
			}, nil
		},
	},
	"random:index/randomId:RandomId": {
		inputs: []string{"byteLength", "keepers", "prefix"}, outputs: []string{"b64Std", "b64Url", "dec", "hex"},
		check: func(m resource.PropertyMap) []*pulumirpc.CheckFailure {
			return checkInt(m, "byteLength", true, 1)
		},
		create: func(m resource.PropertyMap) (string, error) {
			b, err := randBytes(intOf(m, "byteLength"))
			if err != nil {
				return "", err
			}
			setIDOutputs(m, b, strOf(m, "prefix"))
			return base64.RawURLEncoding.EncodeToString(b), nil
		},
		imprt: func(id string) (resource.PropertyMap, error) {
			prefix, b64 := "", id
			if i := strings.LastIndex(id, ","); i >= 0 {
				prefix, b64 = id[:i], id[i+1:]
			}
			b, err := base64.RawURLEncoding.DecodeString(b64)
			if err != nil {
				return nil, fmt.Errorf("import ID must be [prefix,]base64url: %w", err)
			}
			m := resource.PropertyMap{"byteLength": resource.NewNumberProperty(float64(len(b)))}
			if prefix != "" {
				m["prefix"] = resource.NewStringProperty(prefix)
			}
			setIDOutputs(m, b, prefix)
			return m, nil
		},
	},
	"random:index/randomString:RandomString": {
		inputs: stringInputs, outputs: []string{"result"},
		check: checkString,
		create: func(m resource.PropertyMap) (string, error) {
			s, err := randString(m)
			if err != nil {
				return "", err
			}
			m["result"] = resource.NewStringProperty(s)
			return s, nil
		},
		imprt: func(id string) (resource.PropertyMap, error) { return importString(id), nil },
	},
	"random:index/randomPassword:RandomPassword": {
		inputs: stringInputs, outputs: []string{"bcryptHash", "result"},
		check: checkString,
		create: func(m resource.PropertyMap) (string, error) {
			s, err := randString(m)
			if err != nil {
				return "", err
			}
			h, err := bcrypt.GenerateFromPassword([]byte(s), bcrypt.DefaultCost)
			if err != nil {
				return "", err
			}
			m["result"] = resource.NewStringProperty(s)
			m["bcryptHash"] = resource.NewStringProperty(string(h))
			return "none", nil
		},
		imprt: func(id string) (resource.PropertyMap, error) {
			m := importString(id)
			h, err := bcrypt.GenerateFromPassword([]byte(id), bcrypt.DefaultCost)
			if err != nil {
				return nil, err
			}
			m["bcryptHash"] = resource.NewStringProperty(string(h))
			return m, nil
		},
	},
	"random:index/randomInteger:RandomInteger": {
		inputs: []string{"keepers", "max", "min", "seed"}, outputs: []string{"result"},
		check: func(m resource.PropertyMap) []*pulumirpc.CheckFailure {
			f := append(checkInt(m, "min", true, -1<<53), checkInt(m, "max", true, -1<<53)...)
			if len(f) == 0 && known(m, "min") && known(m, "max") && intOf(m, "max") < intOf(m, "min") {
				f = append(f, &pulumirpc.CheckFailure{Property: "max", Reason: "max must be >= min"})
			}
			return f
		},
		create: func(m resource.PropertyMap) (string, error) {
			lo, hi := intOf(m, "min"), intOf(m, "max")
			var n int
			if seed := strOf(m, "seed"); seed != "" {
				r := mrand.New(mrand.NewSource(int64(crc64.Checksum([]byte(seed), crc64.MakeTable(crc64.ECMA)))))
				n = lo + r.Intn(hi-lo+1)
			} else {
				v, err := rand.Int(rand.Reader, big.NewInt(int64(hi-lo+1)))
				if err != nil {
					return "", err
				}
				n = lo + int(v.Int64())
			}
			m["result"] = resource.NewNumberProperty(float64(n))
			return strconv.Itoa(n), nil
		},
		imprt: func(id string) (resource.PropertyMap, error) {
			p := strings.Split(id, ",")
			if len(p) < 3 || len(p) > 4 {
				return nil, fmt.Errorf("import ID must be result,min,max[,seed]")
			}
			m := resource.PropertyMap{}
			for i, k := range []string{"result", "min", "max"} {
				v, err := strconv.Atoi(p[i])
				if err != nil {
					return nil, fmt.Errorf("import ID: %s: %w", k, err)
				}
				m[resource.PropertyKey(k)] = resource.NewNumberProperty(float64(v))
			}
			if len(p) == 4 {
				m["seed"] = resource.NewStringProperty(p[3])
			}
			return m, nil
		},
	},
	"random:index/randomUuid:RandomUuid": {
		inputs: []string{"keepers"}, outputs: []string{"result"},
		check: func(resource.PropertyMap) []*pulumirpc.CheckFailure { return nil },
		create: func(m resource.PropertyMap) (string, error) {
			u, err := uuid.NewRandom()
			if err != nil {
				return "", err
			}
			m["result"] = resource.NewStringProperty(u.String())
			return u.String(), nil
		},
		imprt: func(id string) (resource.PropertyMap, error) {
			u, err := uuid.Parse(id)
			if err != nil {
				return nil, err
			}
			return resource.PropertyMap{"result": resource.NewStringProperty(u.String())}, nil
		},
	},
}

var stringInputs = []string{
	"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper",
	"number", "numeric", "overrideSpecial", "special", "upper",
}

type randomProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func (p *randomProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *randomProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	s, _ := json.Marshal(map[string]any{"name": "random", "version": version,
		"description": "qstack lab stand-in for pulumi-random (see main.go); no resource schemas"})
	return &pulumirpc.GetSchemaResponse{Schema: string(s)}, nil
}

func (p *randomProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *randomProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *randomProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{SupportsPreview: true}, nil
}

func (p *randomProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func kindOf(typ, urn string) (*kind, error) {
	if typ == "" {
		typ = string(resource.URN(urn).Type())
	}
	if k, ok := kinds[typ]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("%s is not implemented by the qstack lab's pulumi-resource-random "+
		"(supported: RandomBytes, RandomId, RandomString, RandomPassword, RandomInteger, RandomUuid)", typ)
}

var opts = plugin.MarshalOptions{KeepUnknowns: true, SkipNulls: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	return plugin.UnmarshalProperties(s, opts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, opts)
}

func (p *randomProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	k, err := kindOf(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	in := resource.PropertyMap{}
	for _, key := range k.inputs {
		if v, ok := news[resource.PropertyKey(key)]; ok && !v.IsNull() {
			in[resource.PropertyKey(key)] = v
		}
	}
	failures := k.check(in)
	out, err := marshal(in)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: out, Failures: failures}, nil
}

func (p *randomProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	k, err := kindOf(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 {
		if olds, err = unmarshal(req.GetOlds()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	ignore := map[string]bool{}
	for _, i := range req.GetIgnoreChanges() {
		ignore[i] = true
	}
	resp := &pulumirpc.DiffResponse{
		Changes: pulumirpc.DiffResponse_DIFF_NONE, HasDetailedDiff: true,
		DetailedDiff: map[string]*pulumirpc.PropertyDiff{},
	}
	for _, key := range k.inputs {
		if ignore[key] {
			continue
		}
		o, hasO := olds[resource.PropertyKey(key)]
		n, hasN := news[resource.PropertyKey(key)]
		hasO, hasN = hasO && !o.IsNull(), hasN && !n.IsNull()
		var pk pulumirpc.PropertyDiff_Kind
		switch {
		case !hasO && !hasN:
			continue
		case !hasO:
			pk = pulumirpc.PropertyDiff_ADD_REPLACE
		case !hasN:
			pk = pulumirpc.PropertyDiff_DELETE_REPLACE
		case n.ContainsUnknowns() || !o.DeepEquals(n):
			pk = pulumirpc.PropertyDiff_UPDATE_REPLACE
		default:
			continue
		}
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		resp.Replaces = append(resp.Replaces, key)
		resp.Diffs = append(resp.Diffs, key)
		resp.DetailedDiff[key] = &pulumirpc.PropertyDiff{Kind: pk, InputDiff: true}
	}
	return resp, nil
}

func (p *randomProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	k, err := kindOf(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	m, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	id := ""
	if req.GetPreview() {
		for _, o := range k.outputs {
			m[resource.PropertyKey(o)] = resource.MakeComputed(resource.NewStringProperty(""))
		}
	} else {
		if m.ContainsUnknowns() {
			return nil, fmt.Errorf("%s: inputs contain unknown values outside of preview", req.GetUrn())
		}
		if id, err = k.create(m); err != nil {
			return nil, err
		}
	}
	out, err := marshal(m)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

func (p *randomProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	k, err := kindOf(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	state, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if len(state) == 0 { // import
		if state, err = k.imprt(req.GetId()); err != nil {
			return nil, err
		}
		if chk := k.check(state); len(chk) > 0 {
			return nil, fmt.Errorf("import of %s: %s", req.GetId(), chk[0].GetReason())
		}
	}
	inputs := resource.PropertyMap{}
	for _, key := range k.inputs {
		if v, ok := state[resource.PropertyKey(key)]; ok {
			inputs[resource.PropertyKey(key)] = v
		}
	}
	sp, err := marshal(state)
	if err != nil {
		return nil, err
	}
	ip, err := marshal(inputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: sp, Inputs: ip}, nil
}

// Update only runs for changes Diff did not flag as replacing (none today): keep outputs, take inputs.
func (p *randomProvider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	k, err := kindOf(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	for _, o := range k.outputs {
		if v, ok := olds[resource.PropertyKey(o)]; ok {
			news[resource.PropertyKey(o)] = v
		}
	}
	out, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

func (p *randomProvider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// ---- helpers ----

func known(m resource.PropertyMap, key string) bool {
	v, ok := m[resource.PropertyKey(key)]
	return ok && !v.ContainsUnknowns()
}

func intOf(m resource.PropertyMap, key string) int {
	v := m[resource.PropertyKey(key)]
	if v.IsNumber() {
		return int(v.NumberValue())
	}
	return 0
}

func strOf(m resource.PropertyMap, key string) string {
	v := m[resource.PropertyKey(key)]
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

func boolOf(m resource.PropertyMap, key string) bool {
	v := m[resource.PropertyKey(key)]
	return v.IsBool() && v.BoolValue()
}

func checkInt(m resource.PropertyMap, key string, required bool, minimum int) []*pulumirpc.CheckFailure {
	v, ok := m[resource.PropertyKey(key)]
	switch {
	case !ok || v.IsNull():
		if required {
			return []*pulumirpc.CheckFailure{{Property: key, Reason: "missing required property '" + key + "'"}}
		}
		return nil
	case v.ContainsUnknowns():
		return nil
	case !v.IsNumber() || v.NumberValue() != float64(int(v.NumberValue())):
		return []*pulumirpc.CheckFailure{{Property: key, Reason: key + " must be an integer"}}
	case int(v.NumberValue()) < minimum:
		return []*pulumirpc.CheckFailure{{Property: key, Reason: fmt.Sprintf("%s must be at least %d", key, minimum)}}
	}
	return nil
}

func checkString(m resource.PropertyMap) []*pulumirpc.CheckFailure {
	f := checkInt(m, "length", true, 1)
	for _, b := range []string{"lower", "upper", "special", "numeric", "number"} {
		if _, ok := m[resource.PropertyKey(b)]; !ok {
			m[resource.PropertyKey(b)] = resource.NewBoolProperty(true)
		}
	}
	// `number` is the deprecated alias of `numeric`; upstream keeps both equal.
	if known(m, "number") && known(m, "numeric") {
		n := boolOf(m, "number") && boolOf(m, "numeric")
		m["number"], m["numeric"] = resource.NewBoolProperty(n), resource.NewBoolProperty(n)
	}
	sum := 0
	for _, k := range []string{"minLower", "minUpper", "minNumeric", "minSpecial"} {
		if _, ok := m[resource.PropertyKey(k)]; !ok {
			m[resource.PropertyKey(k)] = resource.NewNumberProperty(0)
		}
		f = append(f, checkInt(m, k, false, 0)...)
		sum += intOf(m, k)
	}
	if len(f) == 0 && known(m, "length") && intOf(m, "length") < sum {
		f = append(f, &pulumirpc.CheckFailure{Property: "length",
			Reason: "length must be >= minUpper + minLower + minNumeric + minSpecial"})
	}
	return f
}

func importString(id string) resource.PropertyMap {
	m := resource.PropertyMap{
		"length": resource.NewNumberProperty(float64(len(id))),
		"result": resource.NewStringProperty(id),
	}
	return m
}

const (
	lowerChars   = "abcdefghijklmnopqrstuvwxyz"
	upperChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	numChars     = "0123456789"
	specialChars = "!@#$%&*()-_=+[]{}<>:?"
)

func randString(m resource.PropertyMap) (string, error) {
	special := specialChars
	if s := strOf(m, "overrideSpecial"); s != "" {
		special = s
	}
	all := ""
	if boolOf(m, "upper") {
		all += upperChars
	}
	if boolOf(m, "lower") {
		all += lowerChars
	}
	if boolOf(m, "numeric") {
		all += numChars
	}
	if boolOf(m, "special") {
		all += special
	}
	if all == "" {
		return "", fmt.Errorf("at least one of upper, lower, numeric or special must be true")
	}
	var out []byte
	for _, c := range []struct {
		set string
		n   int
	}{{upperChars, intOf(m, "minUpper")}, {lowerChars, intOf(m, "minLower")},
		{numChars, intOf(m, "minNumeric")}, {special, intOf(m, "minSpecial")}} {
		s, err := pick(c.set, c.n)
		if err != nil {
			return "", err
		}
		out = append(out, s...)
	}
	rest, err := pick(all, intOf(m, "length")-len(out))
	if err != nil {
		return "", err
	}
	out = append(out, rest...)
	order, err := randBytes(len(out))
	if err != nil {
		return "", err
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return order[idx[a]] < order[idx[b]] })
	shuffled := make([]byte, len(out))
	for i, j := range idx {
		shuffled[i] = out[j]
	}
	return string(shuffled), nil
}

func pick(set string, n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for i := 0; i < n; i++ {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return nil, err
		}
		out = append(out, set[v.Int64()])
	}
	return out, nil
}

func randBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := rand.Read(b)
	return b, err
}

func setIDOutputs(m resource.PropertyMap, b []byte, prefix string) {
	m["b64Url"] = resource.NewStringProperty(base64.RawURLEncoding.EncodeToString(b))
	m["b64Std"] = resource.NewStringProperty(prefix + base64.StdEncoding.EncodeToString(b))
	m["hex"] = resource.NewStringProperty(prefix + hex.EncodeToString(b))
	m["dec"] = resource.NewStringProperty(prefix + new(big.Int).SetBytes(b).String())
}
