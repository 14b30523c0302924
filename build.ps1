#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Build script of E2EDeploy. Runs on Linux, macOS and Windows through the local tool manifest:
        dotnet tool restore
        dotnet pwsh ./build.ps1 [Restore|Build|Test|Bench ...] [-Configuration Release]
.DESCRIPTION
    Restore  restores NuGet packages and local tools.
    Build    builds the solution (warnings are errors).
    Test     runs every test project: dotnet test E2EDeploy.sln.
    Bench    times the full benchmark sweep (e2e bench aod, 8 SNRs x 20,000 trials) three times and
             prints the median wall time.
    With no target: Build, then Test.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0, ValueFromRemainingArguments = $true)]
    [ValidateSet('Restore', 'Build', 'Test', 'Bench')]
    [string[]] $Targets = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'E2EDeploy.sln'

function Invoke-Step([string] $name, [scriptblock] $action) {
    Write-Host "==> $name" -ForegroundColor Cyan
    & $action
    if ($LASTEXITCODE -ne 0) { throw "$name failed with exit code $LASTEXITCODE." }
}

foreach ($target in $Targets) {
    switch ($target) {
        'Restore' {
            Invoke-Step 'dotnet tool restore' { dotnet tool restore }
            Invoke-Step 'dotnet restore' { dotnet restore $solution }
        }
        'Build' {
            Invoke-Step "dotnet build ($Configuration)" { dotnet build $solution -c $Configuration --nologo }
        }
        'Test' {
            Invoke-Step "dotnet test ($Configuration)" { dotnet test $solution -c $Configuration --nologo }
        }
        'Bench' {
            $cli = Join-Path $root 'inference/E2EDeploy.Cli'
            Invoke-Step 'build e2e (Release)' { dotnet build $cli -c Release --nologo -v quiet }
            $dll = Join-Path $cli 'bin/Release/net10.0/e2e.dll'
            $times = @()
            foreach ($run in 1..3) {
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                $json = dotnet $dll bench aod --umin 40 --umax 60 --snr=-5:5:30 --trials 20000 --seed 1 --json 2>$null
                if ($LASTEXITCODE -ne 0) { throw "e2e bench aod failed with exit code $LASTEXITCODE." }
                $watch.Stop()
                $times += $watch.Elapsed.TotalSeconds
                Write-Host ("run {0}: {1:0.00} s" -f $run, $watch.Elapsed.TotalSeconds)
            }
            $median = ($times | Sort-Object)[1]
            Write-Host ("AoD sweep, 8 SNRs x 20,000 trials, {0} cores: median {1:0.00} s over 3 runs" -f [Environment]::ProcessorCount, $median) -ForegroundColor Green
            Write-Host $json
        }
    }
}
