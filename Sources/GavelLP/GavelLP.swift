// LP layer: see LinearProgram.swift
