"""What process owners deploy: process diagrams (validated and versioned) with their forms."""
