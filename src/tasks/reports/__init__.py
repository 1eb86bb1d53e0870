"""Leder views: the overview of overdue and near frister, and the sagsbehandlingstider report."""
