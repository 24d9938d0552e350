package studio_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sideman/internal/shareddata"
)

// browserPage is the studio page open in headless Chromium, with audio on
// (mute-audio off, autoplay without a gesture), and the steps a test takes
// on it; each failing step saves a screenshot into the artifacts folder.
type browserPage struct {
	t    *testing.T
	ctx  context.Context
	art  string
	step int

	consoleMu sync.Mutex
	console   []string
	cancels   []context.CancelFunc
}

func openPage(t *testing.T, url, art string, timeout time.Duration) *browserPage {
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1200),
		chromedp.Flag("mute-audio", false),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
	)
	p := &browserPage{t: t, art: art}
	actx, c1 := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, c2 := chromedp.NewContext(actx)
	ctx, c3 := context.WithTimeout(ctx, timeout)
	p.ctx, p.cancels = ctx, []context.CancelFunc{c3, c2, c1}
	t.Cleanup(p.close)
	p.do("open the page", chromedp.Navigate(url))
	// The page's console (started after the first navigation: chromedp
	// needs its target first), logged when the test ends.
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			p.consoleMu.Lock()
			p.console = append(p.console, fmt.Sprintf("console %s: %s", m.Type, m.Text))
			p.consoleMu.Unlock()
		}
	}()
	return p
}

func (p *browserPage) close() {
	for _, c := range p.cancels {
		c()
	}
	p.cancels = nil
	p.consoleMu.Lock()
	defer p.consoleMu.Unlock()
	for _, l := range p.console {
		p.t.Log(l)
	}
	p.console = nil
}

// shot saves a screenshot of the page as NN-name.png.
func (p *browserPage) shot(name string) {
	p.step++
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(p.art, fmt.Sprintf("%02d-%s.png", p.step, name)), png, 0o644); err != nil {
		p.t.Error(err)
	}
}

func (p *browserPage) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		p.t.Fatalf("%s: %v", what, err)
	}
}

// eval runs a script in the page and decodes its result into out.
func (p *browserPage) eval(expr string, out any, opts ...chromedp.EvaluateOption) {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](expr, opts...))
	if err == nil {
		err = json.Unmarshal(raw, out)
	}
	if err != nil {
		p.t.Fatalf("evaluate %.60s: %v", expr, err)
	}
}

// poll waits until the expression is true in the page.
func (p *browserPage) poll(what, expr string, timeout time.Duration) {
	p.t.Helper()
	p.do(what, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(20*time.Millisecond))(ctx, tg)
		return err
	}))
}

// openExample opens a bundled example chart through the page's menu.
func (p *browserPage) openExample(name string) {
	p.t.Helper()
	p.poll("the examples list", fmt.Sprintf(`document.querySelector('#example option[value="%s"]') !== null`, name), 10*time.Second)
	p.do("choose "+name, chromedp.SetValue(chromedp.CSS("#example"), name),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("example").dispatchEvent(new Event("change"))`))
	p.poll("the chart opens", `window.sideman.state.chart !== null`, 10*time.Second)
}

// export clicks the page's export button for format and returns the bytes
// the page saved (the page keeps the last export of each format, base64,
// in window.sideman.exports), written to the artifacts folder as name.
func (p *browserPage) export(format, name string, timeout time.Duration) []byte {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => { delete window.sideman.exports[%q]; return true; })()`, format), new(bool))
	p.do("export "+format, chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-export=%q]`, format))))
	p.poll("the "+format+" export saved", fmt.Sprintf(`window.sideman.exports[%q] !== undefined && window.sideman.exports[%q].base64 !== undefined`, format, format), timeout)
	var b64 string
	p.eval(fmt.Sprintf(`window.sideman.exports[%q].base64`, format), &b64)
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		p.t.Fatalf("the page's %s export: %v", format, err)
	}
	if err := os.WriteFile(filepath.Join(p.art, name), b, 0o644); err != nil {
		p.t.Error(err)
	}
	return b
}

// c2paStore is a C2PA manifest store as c2pa-rs reads it.
type c2paStore struct {
	Manifests map[string]struct {
		Assertions []struct {
			Label string          `json:"label"`
			Data  json.RawMessage `json:"data"`
		} `json:"assertions"`
	} `json:"manifests"`
	Status []struct {
		Code        string `json:"code"`
		Explanation string `json:"explanation"`
	} `json:"validation_status"`
}

// readC2PA reads a file's C2PA manifest store with c2pa-rs compiled to
// WebAssembly (@contentauth/c2pa-wasm, tools/c2pa/read.mjs on Node),
// skipping, or failing under SIDEMAN_REQUIRE_DATA=1, without Node or the
// package (tools/c2pa/install.sh installs it).
func readC2PA(t *testing.T, path string) c2paStore {
	t.Helper()
	skip := func(msg string) {
		if shareddata.Required() {
			t.Fatalf("%s (%s=1)", msg, shareddata.EnvRequire)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node not found; install Debian's nodejs and npm (scripts/install-deps.sh)")
	}
	tool := filepath.Join("..", "tools", "c2pa")
	if _, err := os.Stat(filepath.Join(tool, "node_modules", "@contentauth", "c2pa-wasm")); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "sh", filepath.Join(tool, "install.sh")).CombinedOutput(); err != nil {
			skip("@contentauth/c2pa-wasm: tools/c2pa/install.sh failed: " + strings.TrimSpace(string(out)))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, filepath.Join(tool, "read.mjs"), path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("c2pa-wasm could not read %s: %v\n%s", path, err, stderr.Bytes())
	}
	var res struct {
		Store c2paStore `json:"manifest_store"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("read.mjs: %v", err)
	}
	return res.Store
}
