package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/pantau-id/pantau/jobs"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/models/modelstest"
	"github.com/pantau-id/pantau/models/national"
	"github.com/pantau-id/pantau/notify"
)

// BenchmarkDigestNational queues and renders the weekly digest of every coordinator — one for
// the whole country and one per province (39) — over the synthetic national data set (546
// Pemda, 54,600 items a year) on each database: River's unique jobs inserted, each worked by the
// queue (the digest computed and written with its e-mail in the outbox), and every e-mail
// rendered, text and HTML. One iteration is one week; the bound is 30 s. PostgreSQL is
// skipped unless PANTAU_TEST_DATABASE_URL names a server.
func BenchmarkDigestNational(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := modelstest.Open(b, d)
			db.MailOutbox = true
			ctx := context.Background()
			if err := national.Seed(ctx, db, io.Discard); err != nil {
				b.Fatalf("seed: %v", err)
			}
			regions, err := db.Regions(ctx)
			if err != nil {
				b.Fatal(err)
			}
			coordinators := 0
			for _, r := range append([]models.Region{{Code: "", Kind: models.KindProvince}}, regions...) {
				if r.Kind != models.KindProvince {
					continue
				}
				in := models.UserInput{Email: "koordinator" + r.Code + "@uji.id", Name: "Koordinator " + r.Name, Role: models.RoleCoordinator, Password: "kata-sandi-uji-123"}
				if r.Code != "" {
					in.Province = &r.Code
				}
				if _, err := db.CreateUser(ctx, in, false); err != nil {
					b.Fatal(err)
				}
				coordinators++
			}
			if _, err := jobs.Migrate(ctx, db); err != nil {
				b.Fatal(err)
			}
			q, err := jobs.New(jobs.Config{DB: db, FetchPoll: 100 * time.Millisecond, Workers: 2})
			if err != nil {
				b.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				b.Fatal(err)
			}
			defer q.Stop(ctx)
			tokens, err := notify.NewTokens(make([]byte, 32))
			if err != nil {
				b.Fatal(err)
			}
			renderer := &notify.Renderer{PublicURL: "https://pantau.example", Tokens: tokens}
			week := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
			for b.Loop() {
				start := time.Now()
				week = week.AddDate(0, 0, 7)
				if n, err := q.PlanDigests(ctx, week); n != coordinators || err != nil {
					b.Fatalf("queued %d digests (%v), want %d", n, err, coordinators)
				}
				var mails []models.OutboxMail
				for deadline := time.Now().Add(2 * time.Minute); len(mails) < coordinators; time.Sleep(20 * time.Millisecond) {
					if mails, err = db.DueMail(ctx, 1000); err != nil {
						b.Fatal(err)
					}
					if time.Now().After(deadline) {
						b.Fatalf("%d of %d digests after two minutes", len(mails), coordinators)
					}
				}
				for i := range mails {
					m, err := renderer.Render(&mails[i])
					if err != nil || len(m.HTML) < 1000 {
						b.Fatalf("render: %v, %d bytes", err, len(m.HTML))
					}
				}
				took := time.Since(start)
				b.Logf("%s: %d digests queued, worked and rendered in %s", d, len(mails), took.Round(time.Millisecond))
				if took > 30*time.Second {
					b.Errorf("%s took %s, over the 30 s bound", d, took)
				}
				b.StopTimer()
				for _, m := range mails { // out of the next week's way
					if err := db.MailSkipped(ctx, m.ID); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
		})
	}
}
