"""The named operations a diagram's service task may call, shipped with Sagsflow: what each takes,
what it gives the process data (``catalogue``), and what it does to the case (``effects``)."""
