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

// get opens an object; reading it is what reaches the server.
func (s *S3Store) get(ctx context.Context, sha string) (io.ReadCloser, error) {
	return s.b.client.GetObject(ctx, s.b.bucket, s.key(sha), minio.GetObjectOptions{})
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

func (s *S3Store) remove(ctx context.Context, sha string) error {
	return s.b.client.RemoveObject(ctx, s.b.bucket, s.key(sha), minio.RemoveObjectOptions{})
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

// each calls fn with every object under the prefix whose key is a SHA-256 in its place.
func (s *S3Store) each(ctx context.Context, fn func(sha string, size int64, modified time.Time)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for o := range s.b.client.ListObjects(ctx, s.b.bucket, minio.ListObjectsOptions{Prefix: s.prefix + "/", Recursive: true}) {
		if o.Err != nil {
			return o.Err
		}
		sha := o.Key[strings.LastIndex(o.Key, "/")+1:]
		if shaPattern.MatchString(sha) && o.Key == s.key(sha) {
			fn(sha, o.Size, o.LastModified)
		}
	}
	return ctx.Err()
}

// sweepRemote removes the objects no committed row refers to once older than grace, and the
// spooled files in Dir/tmp a crash left behind. An object is looked at again just before it
// is removed: one an upload stored again meanwhile is younger and stays.
func (s *BlobStore) sweepRemote(ctx context.Context, db *DB, grace time.Duration) (SweepResult, error) {
	res, err := s.sweepDir(ctx, db, grace)
	if err != nil {
		return res, err
	}
	cutoff := time.Now().Add(-grace)
	sizes := map[string]int64{}
	var candidates []string
	err = s.Remote.each(ctx, func(sha string, size int64, modified time.Time) {
		if modified.Before(cutoff) {
			candidates = append(candidates, sha)
			sizes[sha] = size
		}
	})
	if err != nil {
		return res, err
	}
	referenced, err := db.referencedBlobs(ctx, candidates)
	if err != nil {
		return res, err
	}
	for _, sha := range candidates {
		if referenced[sha] {
			continue
		}
		info, err := s.Remote.b.client.StatObject(ctx, s.Remote.b.bucket, s.Remote.key(sha), minio.StatObjectOptions{})
		if err != nil || !info.LastModified.Before(cutoff) {
			continue // gone meanwhile, or stored again
		}
		if err := s.Remote.remove(ctx, sha); err != nil {
			return res, err
		}
		res.Files, res.Bytes = res.Files+1, res.Bytes+sizes[sha]
	}
	return res, nil
}
