package mackerelui_test
import ("testing";"fmt";"context";"time"
 "github.com/pwg-team/pwg/integrations/mackerel"
 "github.com/pwg-team/pwg/integrations/mackerel/mackereltest")
func TestZZDbg(t *testing.T){
 e := newEnv(t, mackereltest.Options{})
 g, err := e.c.Graph(context.Background(), mackerel.GraphSpec{Type:"service", ServiceName:"web", Name:"app.latency"}, seedEnd.Add(-30*24*time.Hour), seedEnd)
 fmt.Println(err)
 for _, s := range g.Value.Series { fmt.Println(s.Label, len(s.Points), s.Points[:3], s.Points[300:303]) }
}
