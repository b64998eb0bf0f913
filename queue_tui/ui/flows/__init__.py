"""What an agent does that spans screens and writes to Jira: one module per flow."""
