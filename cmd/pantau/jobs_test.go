package main

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/notify/mailpittest"
)

// TestRemindersExactlyOnceAcrossKill: the real binary's job queue writes deadline reminders at
// start and its outbox sends them, paced; killed (SIGKILL) in the middle of the batch and
// started again, it delivers every reminder exactly once as mailpit sees it — none lost, none
// twice — and writes no reminder a second time.
func TestRemindersExactlyOnceAcrossKill(t *testing.T) {
	bin := buildPantau(t)
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			mp := mailpittest.Start(t)
			env["PANTAU_DEMO_PASSWORD"] = "kata-sandi-demo"
			if code, _, errOut := cli(t, env, "", "seed", "--demo"); code != 0 {
				t.Fatalf("seed: %s", errOut)
			}
			// Ten operators for the demo's Pemda with an item rejected in 2020 (Kotawaringin
			// Timur, which has none), and the deadline a week away: a batch of reminders.
			db, err := models.Open(models.Options{DatabaseURL: env["DATABASE_URL"], DataDir: env["PANTAU_DATA_DIR"]})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			region := "62.06"
			for i := range 10 {
				if _, err := db.CreateUser(ctx, models.UserInput{Email: fmt.Sprintf("op%d@kotim.test", i), Name: fmt.Sprintf("Operator %d", i),
					Role: models.RoleOperator, RegionCode: &region, Password: "kata-sandi-panjang"}, false); err != nil {
					t.Fatal(err)
				}
			}
			deadline := time.Now().In(models.WIB).AddDate(0, 0, 7).Format(time.DateOnly)
			if _, err := db.UpdatePeriod(ctx, 2020, models.PeriodPatch{Deadline: &deadline}); err != nil {
				t.Fatal(err)
			}
			db.Close()

			env["PANTAU_SMTP_URL"], env["PANTAU_MAIL_FROM"], env["PANTAU_MAIL_RATE"] = mp.SMTPURL, "Pantau <pantau@test.pantau.id>", "4"
			srv := startServer(t, bin, env)
			for deadline := time.Now().Add(30 * time.Second); len(mp.Messages(t)) < 4; time.Sleep(50 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no reminders went out:\n%s", srv.logs.String())
				}
			}
			// Between two e-mails (the sender waits a quarter second for its next token): killed.
			time.Sleep(100 * time.Millisecond)
			if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			srv.cmd.Wait()
			sentBefore := len(mp.Messages(t))
			startServer(t, bin, env)
			const want = 10
			if sentBefore >= want {
				t.Fatalf("all %d e-mails went out before the kill: raise the batch", sentBefore)
			}
			var list []mailpittest.Summary
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
				if list = mp.Messages(t); len(list) >= want {
					break
				}
			}
			time.Sleep(time.Second) // and nothing more comes
			list = mp.Messages(t)
			t.Logf("%d e-mails before the kill, %d in all", sentBefore, len(list))
			seen := map[string]int{}
			for _, m := range list {
				if !strings.Contains(m.Subject, "7 hari lagi") {
					t.Errorf("unexpected e-mail %q to %s", m.Subject, m.To[0].Address)
				}
				seen[m.To[0].Address]++
				seen[m.MessageID]++
			}
			if len(list) != want || len(seen) != 2*want {
				t.Fatalf("mailpit holds %d e-mails (%d before the kill), want %d, each recipient and Message-ID once: %v", len(list), sentBefore, want, seen)
			}
		})
	}
}
