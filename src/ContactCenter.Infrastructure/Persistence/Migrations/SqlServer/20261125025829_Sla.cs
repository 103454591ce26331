using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Sla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "BusinessHoursId",
                table: "Teams",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AwaitingReplySince",
                table: "Conversations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FirstResponseWarnAt",
                table: "Conversations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextResponseWarnAt",
                table: "Conversations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ResolutionWarnAt",
                table: "Conversations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SlaPausedAt",
                table: "Conversations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SlaPausedWorkingTime",
                table: "Conversations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<Guid>(
                name: "SlaPolicyId",
                table: "Conversations",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BusinessHours",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    TimeZoneId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Intervals = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: false),
                    Holidays = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BusinessHours", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SlaEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ConversationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Metric = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ThresholdAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    TeamId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    RecordedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SlaEvents_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SlaPolicies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    Order = table.Column<int>(type: "int", nullable: false),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    Conditions = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: false),
                    Targets = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaPolicies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Teams_BusinessHoursId",
                table: "Teams",
                column: "BusinessHoursId");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_FirstResponseWarnAt",
                table: "Conversations",
                column: "FirstResponseWarnAt");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_NextResponseWarnAt",
                table: "Conversations",
                column: "NextResponseWarnAt");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_ResolutionWarnAt",
                table: "Conversations",
                column: "ResolutionWarnAt");

            migrationBuilder.CreateIndex(
                name: "IX_BusinessHours_Name",
                table: "BusinessHours",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlaEvents_ConversationId_Metric_Kind",
                table: "SlaEvents",
                columns: new[] { "ConversationId", "Metric", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlaEvents_Kind_RecordedAt",
                table: "SlaEvents",
                columns: new[] { "Kind", "RecordedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SlaEvents_TeamId_RecordedAt",
                table: "SlaEvents",
                columns: new[] { "TeamId", "RecordedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SlaPolicies_Name",
                table: "SlaPolicies",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlaPolicies_Order",
                table: "SlaPolicies",
                column: "Order");

            migrationBuilder.AddForeignKey(
                name: "FK_Teams_BusinessHours_BusinessHoursId",
                table: "Teams",
                column: "BusinessHoursId",
                principalTable: "BusinessHours",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Teams_BusinessHours_BusinessHoursId",
                table: "Teams");

            migrationBuilder.DropTable(
                name: "BusinessHours");

            migrationBuilder.DropTable(
                name: "SlaEvents");

            migrationBuilder.DropTable(
                name: "SlaPolicies");

            migrationBuilder.DropIndex(
                name: "IX_Teams_BusinessHoursId",
                table: "Teams");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_FirstResponseWarnAt",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_NextResponseWarnAt",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_ResolutionWarnAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "BusinessHoursId",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "AwaitingReplySince",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "FirstResponseWarnAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "NextResponseWarnAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "ResolutionWarnAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "SlaPausedAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "SlaPausedWorkingTime",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "SlaPolicyId",
                table: "Conversations");
        }
    }
}
