// Package asnobody is a test helper for a case that needs a file's
// permissions to keep this user out (a backup of mode 0000, a folder
// without x). Root reads any file, and CI runs `make test` as root
// (.ci/run), so such a case skipped as root never ran where it counts:
// Rerun runs the test again as the user nobody instead.
package asnobody

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// childEnv marks the run as nobody, which must find chmod biting.
const childEnv = "MTRDSK_TEST_AS_NOBODY"

// nobody is the uid and gid the test is run again as (Debian's nobody
// and nogroup).
const nobody = "65534"

// ChmodBites says whether a file of mode 0000 keeps this process out.
func ChmodBites(t *testing.T) bool {
	t.Helper()
	dir, err := os.MkdirTemp("", "meterdesk-chmod-probe-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "probe")
	if err := os.WriteFile(p, []byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		return true
	}
	f.Close()
	return false
}

// Rerun is called first in a test (or subtest) t whose case needs chmod
// to keep this user out. Where it does (not root), it returns false and t
// goes on. As root, it runs t again, alone, in a copy of the test binary
// as nobody (setpriv), with a temporary folder of its own, fails t with
// that run's output unless t passed there (a skip, or no test run, fails
// too), and returns true: the caller returns. Root without setpriv skips
// t, as tests/cli's TestReadOnlyDataFolder does.
func Rerun(t *testing.T) bool {
	t.Helper()
	if ChmodBites(t) {
		return false
	}
	if os.Getenv(childEnv) != "" {
		t.Fatalf("running as uid %d for the case, chmod 000 still does not keep it from reading a file", os.Geteuid())
	}
	if os.Geteuid() != 0 {
		t.Skipf("running as uid %d, chmod 000 does not keep this user from reading a file here", os.Geteuid())
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root without setpriv: cannot run the case as a user chmod keeps out")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The test binary sits in go's work folder, which only root may
	// enter: a copy in a folder nobody may read, with a temporary
	// folder nobody may write in.
	home, err := os.MkdirTemp("", "meterdesk-asnobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	tmp := filepath.Join(home, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	for p, mode := range map[string]os.FileMode{home: 0o755, tmp: 0o1777} {
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(home, filepath.Base(self))
	if err := copyExecutable(self, bin); err != nil {
		t.Fatal(err)
	}
	var run []string
	for _, part := range strings.Split(t.Name(), "/") {
		run = append(run, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd := exec.Command(setpriv, "--reuid="+nobody, "--regid="+nobody, "--clear-groups", "--",
		bin, "-test.run", strings.Join(run, "/"), "-test.count=1", "-test.v", "-test.timeout=10m")
	cmd.Dir = home
	cmd.Env = append(os.Environ(), childEnv+"=1", "TMPDIR="+tmp, "HOME="+tmp, "GOCOVERDIR=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	passed := strings.Contains(out.String(), "--- PASS: "+t.Name()+" ")
	if err != nil || !passed || strings.Contains(out.String(), "--- SKIP") {
		t.Fatalf("run again as nobody (root reads a file of mode 0000): %v\n%s", err, out.String())
	}
	t.Logf("run again as nobody (root reads a file of mode 0000): passed")
	return true
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
