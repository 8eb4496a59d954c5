"""Records: a generation's state, designs, story and recommendations; history and live stream."""
