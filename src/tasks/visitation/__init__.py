"""The visitationsudvalg: a decision above the sagsbehandler's kompetence that the kompetence table gives to
the udvalg becomes an indstilling on the agenda of its next meeting (the catalogue's meeting day, moved past
closed days); the udvalg's decision per case is the completion of *Visitationsudvalgets afgørelse*, due the
catalogue's number of hverdage after the meeting and counted inside the sagsbehandlingsfrist (the task lies in
Behandling, which R1 waits for).  Seed 004 (Egedal): weekly meetings, a written indstilling."""
