package main

import (
	"fmt"

	"github.com/pantau-id/pantau/models"
)

// s3Settings reads the object storage settings, from the environment only.
func s3Settings(getenv func(string) string) models.S3Config {
	return models.S3Config{
		Endpoint:  env(getenv, "PANTAU_S3_ENDPOINT", ""),
		Bucket:    env(getenv, "PANTAU_S3_BUCKET", ""),
		Region:    env(getenv, "PANTAU_S3_REGION", ""),
		AccessKey: env(getenv, "PANTAU_S3_ACCESS_KEY", ""),
		SecretKey: env(getenv, "PANTAU_S3_SECRET_KEY", ""),
	}
}

// openBucket prepares the bucket PANTAU_S3_ENDPOINT and PANTAU_S3_BUCKET name; without an
// endpoint the files stay in local directories.
func (c *config) openBucket() error {
	if c.S3Config.Endpoint == "" {
		return nil
	}
	b, err := models.OpenS3(c.S3Config)
	if err != nil {
		return fmt.Errorf("PANTAU_S3_ENDPOINT / PANTAU_S3_BUCKET: %w", err)
	}
	c.S3 = b
	return nil
}

// store is a content-addressed store: the directory dir, or the bucket's prefix name (dir
// then only spools uploads and reads).
func (c *config) store(name, dir string, maxSize int64) *models.BlobStore {
	s := &models.BlobStore{Dir: dir, MaxSize: maxSize}
	if c.S3 != nil {
		s.Remote = c.S3.Store(name)
	}
	return s
}

// documents is the store of signed documents, drawn signatures and delegation scans.
func (c *config) documents() *models.BlobStore {
	return c.store("documents", documentsDir(c), 64<<20)
}
