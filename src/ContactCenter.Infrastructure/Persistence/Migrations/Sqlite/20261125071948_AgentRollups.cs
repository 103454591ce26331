using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AgentRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AgentDailyRollups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Assigned = table.Column<int>(type: "INTEGER", nullable: false),
                    Handled = table.Column<int>(type: "INTEGER", nullable: false),
                    Replies = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstResponses = table.Column<int>(type: "INTEGER", nullable: false),
                    Resolved = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstResponseHistogram = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ResolutionHistogram = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CsatCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CsatSum = table.Column<int>(type: "INTEGER", nullable: false),
                    CsatSatisfied = table.Column<int>(type: "INTEGER", nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentDailyRollups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AgentDailyRollups_Day_AgentId",
                table: "AgentDailyRollups",
                columns: new[] { "Day", "AgentId" },
                unique: true);

            // Roll-ups are derived data: drop the day x channel x team rows so the next roll-up run (also at start) rebuilds every
            // closed day with its new day x agent rows (a day counts as rolled up for the agent report when it has DailyRollups).
            migrationBuilder.Sql("DELETE FROM DailyRollups");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentDailyRollups");
        }
    }
}
