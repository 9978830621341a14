package lansync

import (
	"errors"
	"fmt"
)

// JoinOrSwitch is Join, except that with force a workspace of another team
// switches to the invited team (it becomes current; the other team's
// documents stay in the workspace). Without force that case is ErrOtherTeam.
func JoinOrSwitch(st Store, invitation string, force bool) (Invitation, error) {
	inv, err := ParseInvitation(invitation)
	if err != nil {
		return inv, err
	}
	err = Join(st, invitation)
	if errors.Is(err, ErrOtherTeam) && force {
		if err := st.JoinTeam(Team{ID: inv.TeamID, Key: inv.Key}); err != nil {
			return inv, fmt.Errorf("switch team: %w", err)
		}
		err = Join(st, invitation) // same team now: records the addresses
	}
	return inv, err
}
