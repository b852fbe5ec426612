"""Quality assurance: rubrics, sampling, scoring, calibration, disputes and QA reports."""
