package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pantau-id/pantau/models"
)

// auditPage is one page of audit events; NextAfter continues the listing when more may follow.
type auditPage struct {
	Events    []models.AuditEvent `json:"events"`
	NextAfter *int64              `json:"next_after"`
}

// listAudit lists audit events with filters: entity, entity_key, actor (e-mail), actor_id,
// from and to (RFC 3339 or YYYY-MM-DD), after (an event id, for paging) and limit (≤ 1000).
func (s *Server) listAudit(c *gin.Context) {
	f, ok := auditFilter(c)
	if !ok {
		return
	}
	events, err := s.db.AuditEvents(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	page := auditPage{Events: events}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if len(events) == f.Limit {
		next := events[len(events)-1].ID
		page.NextAfter = &next
	}
	c.JSON(http.StatusOK, page)
}

// auditFilter reads the audit filters of the query (see listAudit), reporting invalid ones.
func auditFilter(c *gin.Context) (models.AuditFilter, bool) {
	f := models.AuditFilter{Entity: c.Query("entity"), EntityKey: c.Query("entity_key"), Actor: c.Query("actor")}
	fields := map[string]string{}
	if v := c.Query("actor_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			fields["actor_id"] = "integer"
		}
		f.ActorID = &id
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := c.Query(name); v != "" {
			t, err := parseTime(v)
			if err != nil {
				fields[name] = "time_format"
			}
			*dst = t
		}
	}
	for name, dst := range map[string]*int64{"after": &f.AfterID} {
		if v := c.Query(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				fields[name] = "integer"
			}
			*dst = n
		}
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fields["limit"] = "limit_range"
		}
		f.Limit = n
	}
	if len(fields) > 0 {
		fail(c, &models.ValidationError{Fields: fields})
		return f, false
	}
	return f, true
}

func parseTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", v)
}

// historyEntry is one change to an item, as every signed-in role may see it (without the
// client address that the full audit listing shows to admins and reviewers).
type historyEntry struct {
	Seq    *int64          `json:"seq"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// itemHistory lists every claim, evidence change, review and (to those who may take part in
// it) comment of an item, oldest first.
func (s *Server) itemHistory(c *gin.Context) {
	ref, ok := itemRef(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	if _, err := s.db.Item(ctx, ref); err != nil {
		fail(c, err)
		return
	}
	events, err := s.db.AuditEvents(ctx, models.AuditFilter{Entity: "item", EntityKey: ref.Key(), Limit: 1000})
	if err != nil {
		fail(c, err)
		return
	}
	// The discussion shows to those who may take part in it.
	discuss := currentUser(c).CanDiscuss(ref.RegionCode)
	out := make([]historyEntry, 0, len(events))
	for _, e := range events {
		if !discuss && strings.HasPrefix(e.Action, "comment") {
			continue
		}
		out = append(out, historyEntry{Seq: e.Seq, At: e.At, Actor: e.Actor, Action: e.Action, Before: e.Before, After: e.After})
	}
	c.JSON(http.StatusOK, out)
}
