package main

import (
	"context"
	"io"
	"strings"
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
// Pemda, 54,600 items a year; in the week, an item claimed in every Pemda and one rejected in
// every third) on each database: River's unique jobs inserted, each worked by the
// queue (the digest computed and written with its e-mail in the outbox), and every e-mail
// rendered, text and HTML. One iteration is one week; the bound is 30 s. PostgreSQL is
// skipped unless PANTAU_TEST_DATABASE_URL names a server.
func BenchmarkDigestNational(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			db := modelstest.Open(b, d)
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
			// A week of work to tell: in every Pemda an item claimed, in every third one rejected.
			admin, err := db.CreateUser(ctx, models.UserInput{Email: "admin@uji.id", Name: "Admin", Role: models.RoleAdmin, Password: "kata-sandi-uji-123"}, false)
			if err != nil {
				b.Fatal(err)
			}
			reviewer, err := db.CreateUser(ctx, models.UserInput{Email: "pemeriksa@uji.id", Name: "Pemeriksa", Role: models.RoleReviewer, Password: "kata-sandi-uji-123"}, false)
			if err != nil {
				b.Fatal(err)
			}
			items, err := db.Items(ctx, 2025, regions[0].Code)
			if err != nil {
				b.Fatal(err)
			}
			for i, r := range regions {
				p := models.FixedFromInt(int64(10 + i%90))
				ref := models.ItemRef{Year: 2025, RegionCode: r.Code, IndicatorCode: items[i%len(items)].IndicatorCode}
				if _, err := db.ClaimItem(ctx, admin, ref, models.Claim{Progress: &p}); err != nil {
					b.Fatal(err)
				}
				if i%3 == 0 {
					if _, err := db.ReviewItem(ctx, reviewer, ref, models.ReviewInput{Decision: models.DecisionReject, Comment: "Belum lengkap"}); err != nil {
						b.Fatal(err)
					}
				}
			}
			db.MailOutbox = true // the digests' e-mails, not the rejections'
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
			week := time.Now()
			for b.Loop() {
				start := time.Now()
				week = week.AddDate(0, 0, 7) // a new week each time: the digests of one week exist once
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
					if err != nil || !strings.Contains(m.Text, "1 ditolak, 1 diajukan") {
						b.Fatalf("render: %v\n%s", err, m.Text)
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
