"""Bestillinger: the order to the leverandør that carries out a bevilling — indsats, formål, mål, extent and
start (what VUM 2.0 and the DHUV interface standard expect) — and the leverandør's written status before each
opfølgning, a frist of its own (the ydelse's ``leverandoerstatus_foer_opfoelgning`` in the catalogue, moved
back to the hverdag before when it falls on a closed day), closed when the status is recorded."""
