//! bitmaps commands (being written).
