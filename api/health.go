package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 while the database and the file store (an S3 bucket: a HEAD on it) each
// answer within two seconds, 503 naming the one that does not otherwise.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "database not ready", "err", err)
		writeError(c, errUnavailable)
		return
	}
	if err := s.blobs.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "file storage not ready", "store", s.blobs.String(), "err", err)
		writeError(c, errStorageUnavailable)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "database": string(s.db.Dialect), "storage": s.blobs.Backend()})
}
