"""Service-layer machinery every use case shares: the unit of work (one command, one transaction), the message
bus, the composition of services, who acts (Actor), domain errors, Danish dates.
"""
