"""Action programmes: tasks assigned to agencies, their progress with evidence, and their status
computed by the Government Office's convention."""
