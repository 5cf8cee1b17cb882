"""What the unit hands on: SVG charts for the dashboards and case files as PDF."""
