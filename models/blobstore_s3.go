package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where an S3-compatible bucket is and how to sign in to it.
type S3Config struct {
	// Endpoint is the server's address: http://host:port, https://host, or host[:port] (https).
	Endpoint  string
	Bucket    string
	Region    string
	AccessKey string
	SecretKey string
	// Timeout bounds connecting to the server and waiting for its answer's headers (a body
	// then streams as long as it needs); 0 means DefaultS3Timeout.
	Timeout time.Duration
}

// DefaultS3Timeout: a server that has not connected or begun to answer by then is taken as
// unavailable, so that a bucket that hangs rather than refuses does not hold requests.
const DefaultS3Timeout = 10 * time.Second

// S3Bucket is a bucket on an S3-compatible server, addressed path-style (as SeaweedFS and
// MinIO want it). Its stores keep their files under a prefix each.
type S3Bucket struct {
	client *minio.Client
	bucket string
}

// OpenS3 prepares a client for the bucket; it does not connect yet (Ping does).
func OpenS3(cfg S3Config) (*S3Bucket, error) {
	host, secure := cfg.Endpoint, true
	if strings.Contains(host, "://") {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("S3 endpoint %q is not http(s)://host[:port]", cfg.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	if host == "" || cfg.Bucket == "" {
		return nil, errors.New("S3 storage needs an endpoint and a bucket")
	}
	transport, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, err
	}
	timeout := cmp.Or(cfg.Timeout, DefaultS3Timeout)
	transport.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
	transport.TLSHandshakeTimeout, transport.ResponseHeaderTimeout = timeout, timeout
	client, err := minio.New(host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       secure,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
		MaxRetries:   3, // about a second of retries, not ten: a request waits on them
		Transport:    transport,
	})
	if err != nil {
		return nil, err
	}
	return &S3Bucket{client: client, bucket: cfg.Bucket}, nil
}

// Store is the part of the bucket under prefix ("evidence", "documents").
func (b *S3Bucket) Store(prefix string) *S3Store {
	return &S3Store{b: b, prefix: strings.Trim(prefix, "/")}
}

// ErrStorageUnavailable: the object store cannot be reached right now.
var ErrStorageUnavailable = errors.New("file storage unavailable")

// unreachable marks an error of the connection to the server as ErrStorageUnavailable.
func unreachable(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%w: %v", ErrStorageUnavailable, err)
	}
	return err
}

// S3Store keeps a BlobStore's files in a bucket under keys PREFIX/ab/abcdef… (the SHA-256).
type S3Store struct {
	b      *S3Bucket
	prefix string
}

func (s *S3Store) key(sha string) string { return s.prefix + "/" + sha[:2] + "/" + sha }

// asideKey is where a sweep sets an object aside before it removes it (see sweepRemote).
func (s *S3Store) asideKey(sha string) string { return s.prefix + "/aside/" + sha }

// String names the bucket and prefix, for logs and errors.
func (s *S3Store) String() string { return "s3://" + s.b.bucket + "/" + s.prefix }

// put uploads a spooled, checked file from its start: one streamed PUT up to 16 MiB, parts read
// from the file beyond. Always uploading, even when the object exists, renews its age, which
// keeps a sweep from taking content an upload is about to refer to. The payload is not hashed
// for the signature (UNSIGNED-PAYLOAD: one pass over the file less, a third faster here): every
// read checks the content against its SHA-256 anyway.
func (s *S3Store) put(ctx context.Context, f *os.File, b Blob) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := s.b.client.PutObject(ctx, s.b.bucket, s.key(b.SHA256), f, b.Size, minio.PutObjectOptions{ContentType: b.ContentType, DisableContentSha256: true})
	return unreachable(err)
}

// get opens the object under key; reading it is what reaches the server.
func (s *S3Store) get(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.b.client.GetObject(ctx, s.b.bucket, key, minio.GetObjectOptions{})
}

// notFound turns the server's "no such key" into an error matching fs.ErrNotExist (and a
// lost connection into ErrStorageUnavailable).
func (s *S3Store) notFound(err error) error {
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return fmt.Errorf("%s: %w", s, fs.ErrNotExist)
	}
	return unreachable(err)
}

func (s *S3Store) has(ctx context.Context, sha string) (bool, error) {
	_, err := s.b.client.StatObject(ctx, s.b.bucket, s.key(sha), minio.StatObjectOptions{})
	if err = s.notFound(err); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (s *S3Store) remove(ctx context.Context, sha string) error { return s.removeKey(ctx, s.key(sha)) }

// removeKey deletes the object under key.
func (s *S3Store) removeKey(ctx context.Context, key string) error {
	return unreachable(s.b.client.RemoveObject(ctx, s.b.bucket, key, minio.RemoveObjectOptions{}))
}

// ping asks whether the bucket exists (a HEAD on it).
func (s *S3Store) ping(ctx context.Context) error {
	ok, err := s.b.client.BucketExists(ctx, s.b.bucket)
	if err != nil {
		return unreachable(err)
	}
	if !ok {
		return fmt.Errorf("bucket %q does not exist", s.b.bucket)
	}
	return nil
}

// each calls fn with every object in its place whose key is a SHA-256.
func (s *S3Store) each(ctx context.Context, fn func(sha string, size int64, modified time.Time)) error {
	return s.list(ctx, s.prefix+"/", s.key, fn)
}

// eachAside calls fn with every object a sweep set aside.
func (s *S3Store) eachAside(ctx context.Context, fn func(sha string, size int64, modified time.Time)) error {
	return s.list(ctx, s.prefix+"/aside/", s.asideKey, fn)
}

// list calls fn with every object under prefix whose key is keyOf of a SHA-256.
func (s *S3Store) list(ctx context.Context, prefix string, keyOf func(string) string, fn func(sha string, size int64, modified time.Time)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for o := range s.b.client.ListObjects(ctx, s.b.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return o.Err
		}
		sha := o.Key[strings.LastIndex(o.Key, "/")+1:]
		if shaPattern.MatchString(sha) && o.Key == keyOf(sha) {
			fn(sha, o.Size, o.LastModified)
		}
	}
	return ctx.Err()
}

// move copies the object under from to to on the server, then removes it from from.
func (s *S3Store) move(ctx context.Context, from, to string) error {
	_, err := s.b.client.CopyObject(ctx, minio.CopyDestOptions{Bucket: s.b.bucket, Object: to},
		minio.CopySrcOptions{Bucket: s.b.bucket, Object: from})
	if err != nil {
		return unreachable(err)
	}
	return s.removeKey(ctx, from)
}

// sweepRemote removes the objects no committed row refers to, in two steps a sweep apart, and
// the spooled files in Dir/tmp a crash left behind. An object older than grace that no row
// refers to is set aside: copied under PREFIX/aside/ and removed from its place. An object set
// aside more than grace ago goes back into its place when a row refers to it by then, and is
// removed otherwise. S3 cannot remove an object only if it is unchanged, so an upload may store
// the same content again just before the sweep removes it from its place; the copy set aside
// is that very content, reads find it there (openRemote), and it stays until the upload has
// long committed and the next sweep puts it back.
func (s *BlobStore) sweepRemote(ctx context.Context, db *DB, grace time.Duration) (SweepResult, error) {
	res, err := s.sweepDir(ctx, db, grace)
	if err != nil {
		return res, err
	}
	cutoff := time.Now().Add(-grace)
	// Settle what earlier sweeps set aside first, so that nothing set aside now is looked at
	// again before grace has passed.
	aside, sizes, err := olderThan(ctx, cutoff, s.Remote.eachAside)
	if err != nil {
		return res, err
	}
	referenced, err := db.referencedBlobs(ctx, aside)
	if err != nil {
		return res, err
	}
	for _, sha := range aside {
		if referenced[sha] {
			err = s.Remote.move(ctx, s.Remote.asideKey(sha), s.Remote.key(sha))
		} else if err = s.Remote.removeKey(ctx, s.Remote.asideKey(sha)); err == nil {
			res.Files, res.Bytes = res.Files+1, res.Bytes+sizes[sha]
		}
		if err != nil {
			return res, err
		}
	}
	candidates, _, err := olderThan(ctx, cutoff, s.Remote.each)
	if err != nil {
		return res, err
	}
	if referenced, err = db.referencedBlobs(ctx, candidates); err != nil {
		return res, err
	}
	for _, sha := range candidates {
		if referenced[sha] {
			continue
		}
		if err := s.Remote.move(ctx, s.Remote.key(sha), s.Remote.asideKey(sha)); err != nil {
			if errors.Is(s.Remote.notFound(err), fs.ErrNotExist) {
				continue // another sweep took it first
			}
			return res, err
		}
	}
	return res, nil
}

// olderThan lists, with their sizes, the objects that each gives and that were last stored
// before cutoff.
func olderThan(ctx context.Context, cutoff time.Time, each func(context.Context, func(string, int64, time.Time)) error) ([]string, map[string]int64, error) {
	var shas []string
	sizes := map[string]int64{}
	err := each(ctx, func(sha string, size int64, modified time.Time) {
		if modified.Before(cutoff) {
			shas = append(shas, sha)
			sizes[sha] = size
		}
	})
	return shas, sizes, err
}
