package mackerelui_test

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/pwg-team/pwg/integrations/mackerel/mackereltest"
	"image/png"
	"os"
	"testing"
)

func TestZZShot(t *testing.T) {
	e := newEnv(t, mackereltest.Options{})
	_, w, _ := newDashboardPane(t, e.c, newMinutes())
	w.Resize(fyne.NewSize(1280, 1300))
	f, _ := os.Create("/tmp/dash.png")
	png.Encode(f, w.Canvas().Capture())
	f.Close()
	_, w2, _ := newAlertsPane(t, e.c, newMinutes())
	f, _ = os.Create("/tmp/alerts.png")
	png.Encode(f, w2.Canvas().Capture())
	f.Close()
	_ = test.Tap
}
