// Package s3test starts a real S3-compatible server for tests — SeaweedFS
// (github.com/seaweedfs/seaweedfs, "weed server -s3"), on free local ports in a temporary
// directory — and hands out fresh buckets on it. With no identity configured, SeaweedFS
// accepts any credentials.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/pantau-id/pantau/models"
)

// Credentials the tests sign with (any are accepted).
const (
	AccessKey = "pantau-test"
	SecretKey = "pantau-test-secret"
)

// Server is a running SeaweedFS with its S3 gateway.
type Server struct {
	// Endpoint is the S3 address as PANTAU_S3_ENDPOINT spells it (http://127.0.0.1:PORT).
	Endpoint string
	// Client talks to it directly (to look at or damage objects behind the store's back).
	Client *minio.Client
	cmd    *exec.Cmd
	done   chan error
	stop   sync.Once
	// sockets are the Unix sockets weed makes in /tmp for its gRPC ports, which a killed
	// weed leaves behind, and a shared server's directory: Stop removes them.
	sockets []string
}

// binary finds weed: $PANTAU_WEED, then PATH, then the cache scripts/deps.sh builds it into
// (${XDG_CACHE_HOME:-$HOME/.cache}/pantau/bin).
func binary() string {
	if p := os.Getenv("PANTAU_WEED"); p != "" {
		return p
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	p := filepath.Join(cache, "pantau", "bin", "weed")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// freePorts returns n local TCP ports nobody listens on right now.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Start runs a SeaweedFS for the test, stopped at its end. Without weed installed the test is
// skipped, unless PANTAU_TEST_REQUIRE_S3 is set (as scripts/test.sh and CI do): then it fails.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin := binary()
	if bin == "" {
		if os.Getenv(RequireEnv) != "" {
			tb.Fatal("SeaweedFS (weed) is not installed (scripts/deps.sh builds it) and " + RequireEnv + " is set")
		}
		tb.Skip("SeaweedFS (weed) is not installed; scripts/deps.sh builds it")
	}
	began := time.Now()
	s, err := launch(bin, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("SeaweedFS answers at %s after %s", s.Endpoint, time.Since(began).Round(time.Millisecond))
	tb.Cleanup(s.Stop)
	return s
}

// RequireEnv, when set, makes a missing weed an error rather than a reason to skip.
const RequireEnv = "PANTAU_TEST_REQUIRE_S3"

// StartShared runs a SeaweedFS that outlives any one test (several tests of a package share
// it; the caller stops it, in TestMain). It fails when weed is not installed.
func StartShared() (*Server, error) {
	bin := binary()
	if bin == "" {
		return nil, fmt.Errorf("SeaweedFS (weed) is not installed; scripts/deps.sh builds it")
	}
	dir, err := os.MkdirTemp("", "pantau-weed-")
	if err != nil {
		return nil, err
	}
	s, err := launch(bin, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.sockets = append(s.sockets, dir) // removed with the sockets
	return s, nil
}

// launch starts weed in dir, trying up to three times (a free port may be taken meanwhile).
func launch(bin, dir string) (*Server, error) {
	for attempt := 0; ; attempt++ {
		s, err := start(bin, filepath.Join(dir, strconv.Itoa(attempt)))
		if err == nil {
			return s, nil
		}
		if attempt == 2 {
			return nil, fmt.Errorf("SeaweedFS did not start: %w", err)
		}
	}
}

func start(bin, dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p, err := freePorts(8)
	if err != nil {
		return nil, err
	}
	args := []string{"server", "-dir=" + dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false",
		"-master.port=" + strconv.Itoa(p[0]), "-master.port.grpc=" + strconv.Itoa(p[1]),
		"-volume.port=" + strconv.Itoa(p[2]), "-volume.port.grpc=" + strconv.Itoa(p[3]), "-volume.max=100",
		"-filer.port=" + strconv.Itoa(p[4]), "-filer.port.grpc=" + strconv.Itoa(p[5]), "-filer.localSocket=" + filepath.Join(dir, "filer.sock"),
		"-s3", "-s3.port=" + strconv.Itoa(p[6]), "-s3.port.grpc=" + strconv.Itoa(p[7]), "-s3.localSocket=" + filepath.Join(dir, "s3.sock"),
		"-s3.port.iceberg=0", "-s3.port.lance=0"}
	cmd := exec.Command(bin, args...)
	log, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		return nil, err
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", p[6]), cmd: cmd, done: make(chan error, 1)}
	for name, port := range map[string]int{"master": p[1], "volume": p[3], "filer": p[5], "s3": p[7]} {
		s.sockets = append(s.sockets, fmt.Sprintf("/tmp/seaweedfs-%s-grpc-%d.sock", name, port))
	}
	go func() { s.done <- cmd.Wait() }()
	s.Client, err = minio.New(fmt.Sprintf("127.0.0.1:%d", p[6]), &minio.Options{
		Creds: credentials.NewStaticV4(AccessKey, SecretKey, ""), BucketLookup: minio.BucketLookupPath})
	if err == nil {
		err = s.ready()
	}
	if err != nil {
		s.Stop()
		out, _ := os.ReadFile(log.Name())
		return nil, fmt.Errorf("%w; its log:\n%s", err, tail(out))
	}
	return s, nil
}

// ready waits until the S3 gateway lists buckets and the volume server takes a write, or the
// process exits.
func (s *Server) ready() error {
	deadline := time.Now().Add(60 * time.Second)
	probe := "ready-" + randomName()
	var err error
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("weed exited: %v", err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = s.Client.MakeBucket(ctx, probe, minio.MakeBucketOptions{})
		if err == nil || minio.ToErrorResponse(err).Code == "BucketAlreadyOwnedByYou" {
			_, err = s.Client.PutObject(ctx, probe, "probe", strings.NewReader("ok"), 2, minio.PutObjectOptions{})
		}
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("not ready after a minute: %v", err)
}

// Stop ends the server (a test may stop it early, to see what happens when storage is down).
// It is killed: its data is thrown away anyway, and a graceful stop takes weed half a minute.
func (s *Server) Stop() {
	s.stop.Do(func() {
		s.cmd.Process.Kill()
		err := <-s.done
		s.done <- err
		for _, p := range s.sockets {
			os.RemoveAll(p)
		}
	})
}

// Bucket creates a fresh, empty bucket and returns the settings of a store on it.
func (s *Server) Bucket(tb testing.TB) models.S3Config {
	tb.Helper()
	name := "pantau-" + randomName()
	if err := s.Client.MakeBucket(context.Background(), name, minio.MakeBucketOptions{}); err != nil {
		tb.Fatalf("make bucket %s: %v", name, err)
	}
	return models.S3Config{Endpoint: s.Endpoint, Bucket: name, AccessKey: AccessKey, SecretKey: SecretKey}
}

// Env is the environment that points a pantau command at the bucket.
func Env(cfg models.S3Config) map[string]string {
	return map[string]string{"PANTAU_S3_ENDPOINT": cfg.Endpoint, "PANTAU_S3_BUCKET": cfg.Bucket,
		"PANTAU_S3_ACCESS_KEY": cfg.AccessKey, "PANTAU_S3_SECRET_KEY": cfg.SecretKey}
}

func randomName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func tail(b []byte) []byte {
	if len(b) > 4000 {
		return b[len(b)-4000:]
	}
	return b
}
